"""One way to make paid orders in tests: through the sandbox, as a buyer does."""


def sandbox_card_paid(order, after_commit):
    """The buyer pays by card in the sandbox: the bank holds the money, the shop captures it."""
    from payments.providers.sandbox import sandbox_callback
    from payments.services import payment_receive, payment_start

    payment = payment_start(order=order, return_url="http://testserver/")
    body, headers = sandbox_callback(
        external_id=payment.external_id, status="waiting_for_capture", amount=payment.amount
    )
    after_commit(lambda: payment_receive(provider_name="sandbox", body=body, headers=headers))
    payment.refresh_from_db()
    return payment
