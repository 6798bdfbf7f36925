"""The editors' loop on the functions' side: what customers asked, with personal data removed, and widget events."""
