"""The city's districts (地区) for counting: each is the area its office (支所) is nearest to."""
