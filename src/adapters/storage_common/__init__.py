"""What every storage backend that keeps documents and ciphertexts shares.

The stored forms (sealed secrets, tool and binding columns), reading them back
leniently (a row that today's rules refuse is reported, never raised through a whole
listing), and the re-encryption policy. The SQL storage uses them today; a backend
without SQL (Supabase over its client) reuses them as they are.
"""
