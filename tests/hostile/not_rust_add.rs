# Not Rust: a learner who pasted the Python version. The grader cannot inspect what it cannot
# parse, so it must not compile it either.
def add(a, b):
    return a + b
