"""The container backend (docs/docker.md): session.py is the backend itself; container.py runs
one locked-down container, daemon.py connects and prepares images and caches, images.py picks
Go versions and images, sweep.py removes what a crashed run left."""
