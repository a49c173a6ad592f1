// Scenario: the newsroom CMS has three roles. Viewers read published articles, editors also
// read drafts, write new articles and edit their OWN articles, admins do everything. Today the
// handlers only check "is someone logged in", so any viewer can delete the front page.
//
// Done means: `allowed` encodes the role/ownership rules in one place, and `authorize` turns the
// answer into the right status: 401 Unauthorized when nobody is logged in ("who are you?"),
// 403 Forbidden when a known user lacks the permission ("I know you, and no").
// (Django REST framework's permission classes and `has_object_permission` do the same job.)

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    Read,
    Create,
    Edit,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct User {
    pub id: u32,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: u32,
    pub author_id: u32,
    pub published: bool,
}

/// May `user` do `action`, on `article` when the action targets one (`None` for Create)?
pub fn allowed(user: &User, action: Action, article: Option<&Article>) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Editor => match action {
            Action::Read | Action::Create => true,
            Action::Edit => article.is_some_and(|a| a.author_id == user.id),
            Action::Delete => false,
        },
        Role::Viewer => action == Action::Read && article.is_some_and(|a| a.published),
    }
}

/// `Ok(())` when allowed, otherwise the status code to answer with.
pub fn authorize(
    user: Option<&User>,
    action: Action,
    article: Option<&Article>,
) -> Result<(), u16> {
    match user {
        None => Err(401),
        Some(user) if allowed(user, action, article) => Ok(()),
        Some(_) => Err(403),
    }
}

// ---- handlers (already correct: they rely on `authorize`) ----

pub fn get_article(articles: &[Article], user: Option<&User>, id: u32) -> u16 {
    let Some(article) = articles.iter().find(|a| a.id == id) else {
        return if user.is_some() { 404 } else { 401 };
    };
    match authorize(user, Action::Read, Some(article)) {
        Ok(()) => 200,
        // Don't reveal that an unpublished draft exists to someone who may not see it.
        Err(403) if !article.published => 404,
        Err(status) => status,
    }
}

pub fn edit_article(articles: &[Article], user: Option<&User>, id: u32) -> u16 {
    let Some(article) = articles.iter().find(|a| a.id == id) else {
        return if user.is_some() { 404 } else { 401 };
    };
    match authorize(user, Action::Edit, Some(article)) {
        Ok(()) => 200,
        Err(status) => status,
    }
}

pub fn delete_article(articles: &mut Vec<Article>, user: Option<&User>, id: u32) -> u16 {
    let Some(pos) = articles.iter().position(|a| a.id == id) else {
        return if user.is_some() { 404 } else { 401 };
    };
    match authorize(user, Action::Delete, Some(&articles[pos])) {
        Ok(()) => {
            articles.remove(pos);
            204
        }
        Err(status) => status,
    }
}

fn main() {
    let viewer = User {
        id: 1,
        role: Role::Viewer,
    };
    let mut articles = vec![Article {
        id: 10,
        author_id: 2,
        published: true,
    }];
    println!("{}", delete_article(&mut articles, Some(&viewer), 10));
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEWER: User = User {
        id: 1,
        role: Role::Viewer,
    };
    const EDITOR: User = User {
        id: 2,
        role: Role::Editor,
    };
    const ADMIN: User = User {
        id: 3,
        role: Role::Admin,
    };

    fn articles() -> Vec<Article> {
        vec![
            // published, written by the editor
            Article {
                id: 10,
                author_id: 2,
                published: true,
            },
            // draft, written by someone else
            Article {
                id: 11,
                author_id: 99,
                published: false,
            },
        ]
    }

    #[test]
    fn permission_matrix() {
        let a = articles();
        let (own_published, others_draft) = (Some(&a[0]), Some(&a[1]));
        let cases = [
            (VIEWER, Action::Read, own_published, true),
            (VIEWER, Action::Read, others_draft, false),
            (VIEWER, Action::Create, None, false),
            (VIEWER, Action::Edit, own_published, false),
            (EDITOR, Action::Read, others_draft, true),
            (EDITOR, Action::Create, None, true),
            (EDITOR, Action::Edit, own_published, true),
            (EDITOR, Action::Edit, others_draft, false),
            (EDITOR, Action::Delete, own_published, false),
            (ADMIN, Action::Edit, others_draft, true),
            (ADMIN, Action::Delete, own_published, true),
        ];
        for (user, action, article, expected) in cases {
            assert_eq!(
                allowed(&user, action, article),
                expected,
                "{:?} doing {action:?} on {article:?}",
                user.role
            );
        }
    }

    #[test]
    fn an_object_action_without_its_object_is_refused() {
        // A handler that forgot to load the article (or a route that passes None by mistake)
        // must fail closed: with nothing to check ownership or publication against, no.
        for (user, action) in [
            (EDITOR, Action::Edit),
            (VIEWER, Action::Read),
            (EDITOR, Action::Delete),
            (VIEWER, Action::Edit),
        ] {
            assert!(
                !allowed(&user, action, None),
                "{:?} doing {action:?} with no article: deny (fail closed), the rule needs \
                 the article",
                user.role
            );
        }
    }

    #[test]
    fn anonymous_is_401_known_but_forbidden_is_403() {
        let a = articles();
        assert_eq!(
            authorize(None, Action::Read, Some(&a[0])),
            Err(401),
            "nobody logged in: 401 Unauthorized, the client should authenticate"
        );
        assert_eq!(
            authorize(Some(&VIEWER), Action::Delete, Some(&a[0])),
            Err(403),
            "logged in but not allowed: 403 Forbidden, logging in again won't help"
        );
        assert_eq!(authorize(Some(&ADMIN), Action::Delete, Some(&a[0])), Ok(()));
    }

    #[test]
    fn delete_is_admin_only() {
        let mut a = articles();
        assert_eq!(delete_article(&mut a, None, 10), 401);
        assert_eq!(delete_article(&mut a, Some(&VIEWER), 10), 403);
        assert_eq!(
            delete_article(&mut a, Some(&EDITOR), 10),
            403,
            "editors may not delete, not even their own articles"
        );
        assert_eq!(a.len(), 2, "nothing was deleted by the refused requests");
        assert_eq!(delete_article(&mut a, Some(&ADMIN), 10), 204);
        assert_eq!(a.len(), 1, "the admin's delete removed the article");
    }

    #[test]
    fn editors_edit_only_their_own_articles() {
        let a = articles();
        assert_eq!(edit_article(&a, Some(&EDITOR), 10), 200, "own article");
        assert_eq!(
            edit_article(&a, Some(&EDITOR), 11),
            403,
            "someone else's article"
        );
        assert_eq!(edit_article(&a, Some(&VIEWER), 10), 403);
    }

    #[test]
    fn drafts_are_hidden_from_viewers() {
        let a = articles();
        assert_eq!(get_article(&a, Some(&VIEWER), 10), 200);
        assert_eq!(
            get_article(&a, Some(&VIEWER), 11),
            404,
            "a viewer must not learn that a draft exists: 404, not 403"
        );
        assert_eq!(
            get_article(&a, Some(&EDITOR), 11),
            200,
            "editors read drafts"
        );
        assert_eq!(get_article(&a, None, 10), 401);
    }
}
