"""The HTTP edge: the server protocol that bounds what a client may send before the app runs."""
