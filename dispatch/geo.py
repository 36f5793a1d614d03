"""Planar coordinates for grouping by place (k-means parts, neighbouring routes); not for travel."""
from __future__ import annotations

import math

import numpy as np


def planar(points: np.ndarray, geographic: bool) -> np.ndarray:
    """Longitude/latitude to equirectangular coordinates (degrees of latitude); planar points as they are."""
    pts = np.array(points, dtype=float).reshape(-1, 2)
    if geographic and len(pts):
        pts[:, 0] *= math.cos(math.radians(float(np.mean(pts[:, 1]))))
    return pts


def kmeans(points: np.ndarray, k: int, seed: int = 0, iterations: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Plain Lloyd's k-means with k-means++ seeding; returns (labels, centres)."""
    rng = np.random.default_rng(seed)
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):
        d2 = np.min(((points[:, None, :] - np.array(centres)[None, :, :]) ** 2).sum(axis=2), axis=1)
        total = d2.sum()
        centres.append(points[rng.choice(len(points), p=d2 / total)] if total > 0 else points[rng.integers(len(points))])
    centres = np.array(centres)
    labels = np.zeros(len(points), dtype=np.int64)
    for it in range(iterations):
        d2 = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new = d2.argmin(axis=1)
        if np.array_equal(new, labels) and it > 0:
            break
        labels = new
        for c in range(k):
            members = points[labels == c]
            if len(members):
                centres[c] = members.mean(axis=0)
    return labels, centres


def quota_assign(tech_xy: np.ndarray, centres: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Technicians to parts, nearest first, each part getting a share of technicians in proportion
    to its jobs (at least one)."""
    parts, m = len(centres), len(tech_xy)
    quota = np.maximum(1, np.floor(m * counts / max(1, counts.sum()))).astype(int)
    while quota.sum() < m:  # hand out the remainder to the busiest parts
        quota[np.argmax(counts / quota)] += 1
    d2 = ((tech_xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    tech_part = np.full(m, -1)
    for flat in np.argsort(d2, axis=None, kind="stable"):
        t, c = divmod(int(flat), parts)
        if tech_part[t] < 0 and quota[c] > 0:
            tech_part[t] = c
            quota[c] -= 1
    tech_part[tech_part < 0] = d2[tech_part < 0].argmin(axis=1)
    return tech_part
