"""`class-keys disable | enable | delete --prefix NAME`: act on every key `<prefix>-NN` of the account."""
from __future__ import annotations

from .. import text
from .api import ManagementClient, ManagementError
from .create import GUARDRAIL_DESCRIPTION, key_number
from .terminal import confirm, progress, say

T = text.CLASS_KEYS
ACTIONS = ("disable", "enable", "delete")


def class_keys(client: ManagementClient, prefix: str) -> list[dict]:
    """The account's keys named `<prefix>-NN`, in number order."""
    keys = [k for k in client.list_keys() if key_number(k["name"], prefix) is not None]
    return sorted(keys, key=lambda k: key_number(k["name"], prefix))


def run(action: str, client: ManagementClient, prefix: str, yes: bool) -> int:
    """Disable, enable or delete every key of `prefix`; returns the exit status."""
    try:
        keys = class_keys(client, prefix)
    except ManagementError as exc:
        say(str(exc))
        return 1
    if not keys:
        say(T["no_keys"].format(prefix=prefix))
        return 1
    if action == "delete" and not confirm(T["confirm_delete"].format(count=len(keys), prefix=prefix), yes):
        return 1
    done, failed = 0, []
    for key in progress(keys, len(keys), T["progress"][action]):
        try:
            if action == "delete":
                client.delete_key(key["hash"])
            else:
                client.update_key(key["hash"], disabled=action == "disable")
            done += 1
        except ManagementError as exc:
            failed.append(f"{key['name']}: {exc}")
    say(T["done"][action].format(count=done, prefix=prefix))
    if action == "delete" and not failed:
        _delete_guardrail(client, prefix)
    for line in failed:
        say(T["failed_one"].format(line=line))
    return 1 if failed else 0


def _delete_guardrail(client: ManagementClient, prefix: str) -> None:
    """Remove the class's guardrail too, once its keys are gone (only one `create` made)."""
    try:
        for guardrail in client.list_guardrails():
            if guardrail.get("name") == prefix and guardrail.get("description") == GUARDRAIL_DESCRIPTION:
                client.delete_guardrail(guardrail["id"])
                say(T["guardrail_deleted"].format(name=prefix))
    except ManagementError as exc:
        say(T["guardrail_left"].format(name=prefix, error=exc))
