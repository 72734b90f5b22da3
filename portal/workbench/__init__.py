"""The workbench: news staff and the clerk publish from a browser, by the same code as the command line."""
