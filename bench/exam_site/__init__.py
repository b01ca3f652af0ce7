"""A site for bench/bench_exam_load.py only: the production settings and URLs plus the bench's
ceiling view. Never part of a deployment (nothing in lms/ refers to it)."""
