"""The Hangjin Banner (杭锦旗) demo: ``python manage.py load_demo`` and its builders
(demo/builders/). The top layer: it imports the domain apps, nothing imports it."""
