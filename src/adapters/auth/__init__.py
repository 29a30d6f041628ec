"""Credentials checked for the admin API: users' JWTs, verified locally."""
