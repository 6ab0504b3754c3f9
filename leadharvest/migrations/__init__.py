"""The store's Alembic migrations, shipped inside the package so an installed LeadHarvest can
upgrade a store written by an older one (``Store`` runs them on open; see ``store.migrate``)."""
