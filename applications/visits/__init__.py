"""Counter visits (来庁予約): a department's counter is a booking space with a slot grid."""
