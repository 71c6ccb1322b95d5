"""Lesson 09 exercise: the hints for a message content with a question and an image."""
from __future__ import annotations

import pytest

from course_utils.exercises.l09_images import HINTS, judge_image_content

DATA_URL = "data:image/png;base64,iVBORw0KGgo="
TEXT = {"type": "text", "text": "この画像の果物は、全部でいくつありますか？"}
IMAGE = {"type": "image_url", "image_url": {"url": DATA_URL}}


def test_a_text_part_and_a_data_url_image_part_are_right():
    assert judge_image_content([TEXT, IMAGE]) is None


@pytest.mark.parametrize(("content", "hint"), [
    ("この画像の果物は？", HINTS["not_list"]),
    ([IMAGE], HINTS["no_text"]),
    ([TEXT], HINTS["no_image"]),
    ([TEXT, {"type": "image_url", "image_url": DATA_URL}], HINTS["image_shape"]),
    ([TEXT, {"type": "image_url", "image_url": {"url": "fruits.png"}}], HINTS["not_data_url"]),
], ids=["string", "no-text", "no-image", "url-not-nested", "file-name"])
def test_each_wrong_content_gets_its_own_hint(content, hint):
    assert judge_image_content(content) == hint
