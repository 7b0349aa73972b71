"""Shipped fonts (DejaVu Sans, Bitstream Vera licence: LICENSE-DejaVu.txt); read via sbyt.reports.fonts."""
