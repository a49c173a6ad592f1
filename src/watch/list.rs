//! The list of exercises (`l`): grouped by section with their status, filterable and
//! searchable, scrolling so that hundreds of exercises work in a small terminal.

use console::style;
use crossterm::event::{KeyCode, KeyEvent};

use crate::course::Course;
use crate::progress::Progress;

use super::text::{fit, keys_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Pending,
    Done,
}

impl Filter {
    fn next(self) -> Filter {
        match self {
            Filter::All => Filter::Pending,
            Filter::Pending => Filter::Done,
            Filter::Done => Filter::All,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Pending => "pending",
            Filter::Done => "done",
        }
    }
}

/// What a key in the list asks the caller to do.
#[derive(Debug, PartialEq, Eq)]
pub enum ListAction {
    Stay,
    Back,
    Continue(usize),
    Reset(usize),
}

#[derive(Debug)]
pub struct ListView {
    /// The selected exercise (index into `Course::exercises`).
    selected: usize,
    filter: Filter,
    query: String,
    /// Keys go to the search field.
    typing: bool,
    /// First row shown.
    scroll: usize,
    /// Rows of the last drawing, for page moves.
    page: usize,
}

enum Row {
    Section(usize),
    Exercise(usize),
}

impl ListView {
    pub fn new(selected: usize) -> ListView {
        ListView {
            selected,
            filter: Filter::All,
            query: String::new(),
            typing: false,
            scroll: 0,
            page: 10,
        }
    }

    /// The exercises that pass the filter and the search, in course order.
    fn visible(&self, course: &Course, progress: &Progress) -> Vec<usize> {
        let query = self.query.to_lowercase();
        (0..course.exercises.len())
            .filter(|&i| {
                let exercise = &course.exercises[i];
                let done = progress.is_done(&exercise.name);
                let status_ok = match self.filter {
                    Filter::All => true,
                    Filter::Pending => !done,
                    Filter::Done => done,
                };
                status_ok && exercise.name.to_lowercase().contains(&query)
            })
            .collect()
    }

    pub fn key(&mut self, key: KeyEvent, course: &Course, progress: &Progress) -> ListAction {
        let visible = self.visible(course, progress);
        if self.typing {
            match key.code {
                KeyCode::Enter => self.typing = false,
                KeyCode::Esc => {
                    self.typing = false;
                    self.query.clear();
                }
                KeyCode::Backspace => {
                    self.query.pop();
                }
                KeyCode::Char(c) => self.query.push(c),
                _ => {}
            }
            self.keep_selection_visible(course, progress);
            return ListAction::Stay;
        }
        let position = visible.iter().position(|&i| i == self.selected);
        let move_by = |delta: isize| -> Option<usize> {
            if visible.is_empty() {
                return None;
            }
            let from = position.unwrap_or(0) as isize;
            let to = (from + delta).clamp(0, visible.len() as isize - 1);
            Some(visible[to as usize])
        };
        let page = self.page.max(1) as isize;
        let target = match key.code {
            KeyCode::Up | KeyCode::Char('k') => move_by(-1),
            KeyCode::Down | KeyCode::Char('j') => move_by(1),
            KeyCode::PageUp => move_by(-page),
            KeyCode::PageDown => move_by(page),
            KeyCode::Home | KeyCode::Char('g') => visible.first().copied(),
            KeyCode::End | KeyCode::Char('G') => visible.last().copied(),
            KeyCode::Char('f') => {
                self.filter = self.filter.next();
                self.keep_selection_visible(course, progress);
                None
            }
            KeyCode::Char('/') => {
                self.typing = true;
                None
            }
            KeyCode::Enter | KeyCode::Char('c') if position.is_some() => {
                return ListAction::Continue(self.selected);
            }
            KeyCode::Char('r') if position.is_some() => return ListAction::Reset(self.selected),
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('l') => return ListAction::Back,
            _ => None,
        };
        if let Some(target) = target {
            self.selected = target;
        }
        ListAction::Stay
    }

    /// After the filter or search changed: select the first match if the selection is hidden.
    fn keep_selection_visible(&mut self, course: &Course, progress: &Progress) {
        let visible = self.visible(course, progress);
        if !visible.contains(&self.selected)
            && let Some(&first) = visible.first()
        {
            self.selected = first;
        }
    }

    pub fn render(
        &mut self,
        course: &Course,
        progress: &Progress,
        current: usize,
        width: usize,
        height: usize,
    ) -> Vec<String> {
        let visible = self.visible(course, progress);
        let mut rows = Vec::new();
        let mut last_section = None;
        for &i in &visible {
            let section = course.exercises[i].section;
            if last_section != Some(section) {
                rows.push(Row::Section(section));
                last_section = Some(section);
            }
            rows.push(Row::Exercise(i));
        }

        let mut header = format!(
            "{} · {}/{} done · filter: {}",
            style("Exercises").bold(),
            progress.done_count(course),
            course.exercises.len(),
            style(self.filter.label()).cyan()
        );
        if self.typing || !self.query.is_empty() {
            header.push_str(&format!(" · search: {}", style(&self.query).cyan()));
            if self.typing {
                header.push('▏');
            }
        }
        let keys = if self.typing {
            keys_text(&[("Enter", "done"), ("Esc", "clear")])
        } else {
            keys_text(&[
                ("↑↓", "move"),
                ("c", "continue here"),
                ("r", "reset"),
                ("f", "filter"),
                ("/", "search"),
                ("q", "back"),
            ])
        };
        let header = (height >= 2).then_some(header);
        let keys = (height >= 1).then_some(keys);
        // What the marks mean, when there is room to spare for it.
        let legend = (height >= 8).then(|| {
            style("✓ done  ▶ current  · pending  › selected")
                .dim()
                .to_string()
        });
        let room = height
            .saturating_sub(usize::from(header.is_some()))
            .saturating_sub(usize::from(legend.is_some()))
            .saturating_sub(usize::from(keys.is_some()));
        let resized = room != self.page;
        self.page = room;

        let selected_row = rows
            .iter()
            .position(|r| matches!(r, Row::Exercise(i) if *i == self.selected));
        if let Some(row) = selected_row {
            if resized {
                // A new size starts from the top whenever the selection fits there, so a
                // terminal made small and then large again shows the list from its top.
                self.scroll = (row + 1).saturating_sub(room);
            } else if row < self.scroll {
                // Show the section title above the first exercise of a section.
                self.scroll = row.saturating_sub(1);
            } else if room > 0 && row >= self.scroll + room {
                self.scroll = row + 1 - room;
            }
        }
        self.scroll = self.scroll.min(rows.len().saturating_sub(room));

        let name_width = course
            .exercises
            .iter()
            .map(|e| e.name.len())
            .max()
            .unwrap_or(0);
        let mut lines: Vec<String> = header.into_iter().chain(legend).collect();
        for row in rows.iter().skip(self.scroll).take(room) {
            let line = match *row {
                Row::Section(s) => {
                    let members: Vec<usize> = course.section_exercises(s).collect();
                    let done = members
                        .iter()
                        .filter(|&&i| progress.is_done(&course.exercises[i].name))
                        .count();
                    format!(
                        "{} {}",
                        style(&course.sections[s].title).bold(),
                        style(format!("{done}/{}", members.len())).dim()
                    )
                }
                Row::Exercise(i) => {
                    let exercise = &course.exercises[i];
                    let mark = if progress.is_done(&exercise.name) {
                        style("✓").green().to_string()
                    } else if i == current {
                        style("▶").yellow().bold().to_string()
                    } else {
                        "·".to_string()
                    };
                    let text = format!(
                        "{mark} {:<name_width$}  {}",
                        exercise.name,
                        style(exercise.rel_path().display()).dim()
                    );
                    if i == self.selected {
                        format!("{} {text}", style("›").bold())
                    } else {
                        format!("  {text}")
                    }
                }
            };
            lines.push(line);
        }
        if visible.is_empty() && room > 0 {
            lines.push(style("  (no exercise matches)").dim().to_string());
        }
        if let Some(keys) = keys {
            let rows_used = lines.len();
            lines.resize(height.saturating_sub(1).max(rows_used), String::new());
            lines.push(keys);
        }
        lines.into_iter().map(|l| fit(&l, width)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;
    use std::fs;

    fn course(n: usize) -> (tempfile::TempDir, Course) {
        let dir = tempfile::tempdir().unwrap();
        let mut info = String::from("format_version = 1\n");
        for i in 0..n {
            let name = format!("ex{i}");
            fs::create_dir_all(dir.path().join("exercises")).unwrap();
            fs::write(dir.path().join(format!("exercises/{name}.rs")), "").unwrap();
            info.push_str(&format!("[[exercises]]\nname = \"{name}\"\nhint = \"h\"\n"));
        }
        fs::write(dir.path().join("info.toml"), info).unwrap();
        let course = Course::load(dir.path()).unwrap();
        (dir, course)
    }

    fn press(list: &mut ListView, course: &Course, progress: &Progress, c: KeyCode) -> ListAction {
        list.key(KeyEvent::new(c, KeyModifiers::NONE), course, progress)
    }

    #[test]
    fn moves_filters_and_searches() {
        let (dir, course) = course(300);
        let (mut progress, _) = Progress::load(dir.path());
        progress.set_done("ex0", true);
        let mut list = ListView::new(0);
        press(&mut list, &course, &progress, KeyCode::Down);
        press(&mut list, &course, &progress, KeyCode::Char('j'));
        assert_eq!(
            press(&mut list, &course, &progress, KeyCode::Enter),
            ListAction::Continue(2)
        );
        press(&mut list, &course, &progress, KeyCode::Char('/'));
        for c in "ex29".chars() {
            press(&mut list, &course, &progress, KeyCode::Char(c));
        }
        press(&mut list, &course, &progress, KeyCode::Enter);
        press(&mut list, &course, &progress, KeyCode::Char('G'));
        assert_eq!(
            press(&mut list, &course, &progress, KeyCode::Char('r')),
            ListAction::Reset(course.find("ex299").unwrap())
        );
        // Done only: the selection jumps to the one done exercise.
        let mut list = ListView::new(5);
        press(&mut list, &course, &progress, KeyCode::Char('f'));
        press(&mut list, &course, &progress, KeyCode::Char('f'));
        assert_eq!(
            press(&mut list, &course, &progress, KeyCode::Char('c')),
            ListAction::Continue(0)
        );
        assert_eq!(
            press(&mut list, &course, &progress, KeyCode::Esc),
            ListAction::Back
        );
    }

    #[test]
    fn a_terminal_made_small_then_large_again_shows_the_list_from_the_top() {
        let (dir, course) = course(10);
        let (progress, _) = Progress::load(dir.path());
        let mut list = ListView::new(6);
        let before = list.render(&course, &progress, 0, 40, 30);
        list.render(&course, &progress, 0, 20, 5);
        let after = list.render(&course, &progress, 0, 40, 30);
        assert_eq!(before, after);
        assert!(after.iter().any(|l| l.contains("ex0")), "{after:?}");
        assert!(
            after.iter().any(|l| l.contains("✓ done")),
            "a legend: {after:?}"
        );
    }

    #[test]
    fn the_selection_stays_on_screen_at_any_size() {
        let (dir, course) = course(300);
        let (progress, _) = Progress::load(dir.path());
        let mut list = ListView::new(250);
        for (width, height) in [(0, 0), (1, 1), (3, 2), (20, 5), (80, 24)] {
            let lines = list.render(&course, &progress, 0, width, height);
            assert!(lines.len() <= height, "{width}x{height}: {}", lines.len());
            if height >= 3 && width >= 10 {
                assert!(lines.iter().any(|l| l.contains("ex250")), "{lines:?}");
            }
        }
    }
}
