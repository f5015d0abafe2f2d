import pytest
from django.http import HttpResponse

from core.later import after_response, collecting, run_on_close


def test_work_outside_a_request_runs_at_once():
    done = []
    after_response(done.append, 1)
    assert done == [1]


@pytest.mark.django_db  # close() sends request_finished, which closes old connections
def test_work_within_a_request_runs_when_the_response_is_closed():
    done = []
    response = HttpResponse("ok")
    with collecting() as pending:
        after_response(done.append, 1)
        after_response(done.append, 2)
    run_on_close(response, pending)
    assert done == []
    response.close()
    assert done == [1, 2]
