"""Request handlers, one module per group of endpoints; each takes the server state and the request."""
