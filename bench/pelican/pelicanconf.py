"""Minimal Pelican settings for the benchmark: one page a post, one list of every post, one list
a category (= our kinds) and one a tag (= our project pages), one Atom feed of every post.

run.py passes the content folder and the output folder on the command line."""

from pathlib import Path

SITENAME = "基准测试区重点民生实事进展公开"
SITEURL = ""
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
THEME = str(Path(__file__).resolve().parent / "theme")

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.tables": {},
        "markdown.extensions.fenced_code": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

DEFAULT_PAGINATION = False
DIRECT_TEMPLATES = ["index", "tags"]
ARTICLE_URL = "updates/{slug}/"
ARTICLE_SAVE_AS = "updates/{slug}/index.html"
CATEGORY_URL = "kinds/{slug}/"
CATEGORY_SAVE_AS = "kinds/{slug}/index.html"
TAG_URL = "projects/{slug}/"
TAG_SAVE_AS = "projects/{slug}/index.html"
TAGS_SAVE_AS = "projects/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
PAGE_PATHS: list[str] = []
STATIC_PATHS: list[str] = []

FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
SUMMARY_MAX_LENGTH = None
