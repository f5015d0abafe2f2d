import pytest

from demo.cctv import demo_cctv_seed
from demo.seed import demo_catalog_seed


@pytest.fixture
def demo_cctv(db):
    """The demo catalogue with its CCTV figures and parts, without pictures."""
    demo_catalog_seed(images=False)
    demo_cctv_seed(images=False)
