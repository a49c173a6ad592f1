// Scenario: the forum's permission tests each build a `User` with all seven fields spelled out.
// Adding a field last month meant editing 140 tests, and nobody can see which field a test is
// actually about. The fix: a *factory* that hands out users with sensible defaults and unique
// ids/emails, and a *builder* so a test only states what matters to it:
// `factory.user().role(Role::Moderator).unverified().build()`.
//
// Done means: `Factory::user` and the `UserBuilder` methods work as documented; the tests below
// (which already use them) pass. The rules under test, `can_post` and `can_moderate`, are done.

#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub enum Role {
    Member,
    Moderator,
    Admin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: u64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub email_verified: bool,
    pub banned_until: Option<u64>,
}

/// Active, verified, not banned (at time `now`) users may post.
pub fn can_post(user: &User, now: u64) -> bool {
    user.active && user.email_verified && user.banned_until.is_none_or(|until| until <= now)
}

/// Active moderators and admins may moderate, even unverified ones (staff accounts).
pub fn can_moderate(user: &User) -> bool {
    user.active && user.role >= Role::Moderator
}

/// Hands out users with unique ids (1, 2, 3...) and matching emails ("user1@example.test").
#[derive(Default)]
pub struct Factory {
    next_id: u64,
}

impl Factory {
    pub fn new() -> Self {
        Factory::default()
    }

    /// A builder pre-filled with the defaults: the next id, email "user<id>@example.test",
    /// display name "User <id>", role Member, active, verified, not banned.
    pub fn user(&mut self) -> UserBuilder {
        // TODO: advance the sequence and pre-fill a builder with the defaults above.
        todo!()
    }
}

pub struct UserBuilder {
    user: User,
}

impl UserBuilder {
    // Done as an example: take `self` by value, change one field, hand the builder back.
    pub fn role(mut self, role: Role) -> Self {
        self.user.role = role;
        self
    }

    // TODO: the other methods, in the same style.

    pub fn email(self, email: &str) -> Self {
        let _ = email;
        todo!()
    }

    pub fn inactive(self) -> Self {
        todo!()
    }

    pub fn unverified(self) -> Self {
        todo!()
    }

    pub fn banned_until(self, until: u64) -> Self {
        let _ = until;
        todo!()
    }

    pub fn build(self) -> User {
        todo!()
    }
}

fn main() {
    let mut factory = Factory::new();
    let moderator = factory.user().role(Role::Moderator).build();
    println!("{moderator:?} can moderate: {}", can_moderate(&moderator));
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000;

    #[test]
    fn defaults_are_a_normal_member() {
        let user = Factory::new().user().build();
        assert_eq!(
            user,
            User {
                id: 1,
                email: "user1@example.test".to_string(),
                display_name: "User 1".to_string(),
                role: Role::Member,
                active: true,
                email_verified: true,
                banned_until: None,
            },
            "the default user is the most ordinary one: tests change only what they test"
        );
    }

    #[test]
    fn factory_users_are_unique() {
        let mut factory = Factory::new();
        let a = factory.user().build();
        let b = factory.user().build();
        let c = factory.user().role(Role::Admin).build();
        assert_eq!((a.id, b.id, c.id), (1, 2, 3), "ids come from a sequence");
        assert_ne!(
            a.email, b.email,
            "unique emails, or a UNIQUE constraint would bite"
        );
        assert_eq!(c.email, "user3@example.test");
    }

    #[test]
    fn builder_overrides_only_what_it_is_told() {
        let user = Factory::new()
            .user()
            .email("ada@example.com")
            .role(Role::Moderator)
            .build();
        assert_eq!(user.email, "ada@example.com");
        assert_eq!(user.role, Role::Moderator);
        assert!(
            user.active && user.email_verified,
            "other defaults are kept"
        );
    }

    #[test]
    fn builder_methods_set_rather_than_toggle() {
        let mut f = Factory::new();
        let user = f
            .user()
            .inactive()
            .unverified()
            .inactive()
            .unverified()
            .build();
        assert!(
            !user.active && !user.email_verified,
            "inactive() and unverified() say what the user is, however often they are \
             called: set the field, don't flip it"
        );
        let user = f.user().role(Role::Admin).role(Role::Member).build();
        assert_eq!(user.role, Role::Member, "the last call wins");
    }

    #[test]
    fn each_factory_has_its_own_sequence() {
        let mut first = Factory::new();
        let mut second = Factory::new();
        let a = first.user().build();
        let b = second.user().build();
        let c = first.user().build();
        assert_eq!(
            (a.id, b.id, c.id),
            (1, 1, 2),
            "the sequence belongs to the factory (no global counter): tests that run in \
             parallel each get their own, and their ids are predictable"
        );
    }

    #[test]
    fn members_post_unless_inactive_unverified_or_banned() {
        let mut f = Factory::new();
        assert!(
            can_post(&f.user().build(), NOW),
            "a default member can post"
        );
        assert!(!can_post(&f.user().inactive().build(), NOW), "inactive");
        assert!(!can_post(&f.user().unverified().build(), NOW), "unverified");
        assert!(
            !can_post(&f.user().banned_until(NOW + 60).build(), NOW),
            "banned for another minute"
        );
        assert!(
            can_post(&f.user().banned_until(NOW).build(), NOW),
            "a ban that ends now is over"
        );
    }

    #[test]
    fn moderation_needs_an_active_staff_role() {
        let mut f = Factory::new();
        assert!(!can_moderate(&f.user().build()), "members don't moderate");
        assert!(can_moderate(&f.user().role(Role::Moderator).build()));
        assert!(
            can_moderate(&f.user().role(Role::Admin).unverified().build()),
            "staff accounts may be unverified"
        );
        assert!(
            !can_moderate(&f.user().role(Role::Admin).inactive().build()),
            "a deactivated admin is no admin"
        );
    }
}
