"""The commitments ledger: undertakings found in statements on import (`extract`, `due`),
kept with a status, an owner and notes (`ledger`), and shown in packs (`pack`)."""
