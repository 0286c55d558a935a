"""What keeps the web side safe on the internet: sessions, staff sign-in, limits, headers."""
