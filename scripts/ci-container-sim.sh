#!/usr/bin/env bash
# The sibling of gradescope-sim.sh for a CI container job (GitHub Actions' `container:` with
# Docker's default profile: root, no user namespaces, no network while grading): the same image
# and setup, then the whole cohort of submissions graded by one `grade --cohort
# --require-sandbox=uid`; prints each score and the isolation, fails when one is wrong.
exec env SIM_TARGET=ci PROFILE_NAME="CI container" "$(dirname "$0")/gradescope-sim.sh" "$@"
