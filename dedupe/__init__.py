"""Blocking, pair scoring, clustering and merging of leads that describe one business."""
