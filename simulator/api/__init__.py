"""Alma's HTTP face: the wire format, the route table and the ASGI app."""
