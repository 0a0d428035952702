"""The dashboard's templates and assets (dashboards/templates), rendered by
``outlook.publish.dashboard``; a package only so that installs carry them."""
