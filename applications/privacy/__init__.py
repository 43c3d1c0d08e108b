"""What is held about a resident (myData), and the retention jobs."""
