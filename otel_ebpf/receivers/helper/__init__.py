"""What receivers share: who a process is (its resource), from /proc."""
