"""PDF documents (shipping labels, packing slips, pick lists), rendered from templates."""
