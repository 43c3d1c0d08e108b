"""Applications (a resident's draft, then submission) and the cases they file: workflow,
history, messages, the clerks' queue."""
