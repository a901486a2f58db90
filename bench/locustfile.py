"""The load bench/load.py puts on the app: citizens answering through the public link,
staff answering with a saved draft, and leaders reading results and downloading summaries.

Run by bench/load.py, which prepares the database and passes what it made in LOAD_* variables.
Each citizen or staff iteration is a new person (new cookies, a new account). What every
request took, which failed and how many responses the app accepted go, when Locust stops, to
the JSON file LOAD_REPORT names.
"""

import html
import itertools
import json
import os
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import RescheduleTask

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_survey import (
    PASSWORD,
    READER_EMAIL,
    STAFF_EMAIL,
    citizen_answers,
    staff_first_page,
    staff_second_page,
)

PUBLIC_TOKEN = os.environ.get("LOAD_PUBLIC_TOKEN", "")
STAFF_SURVEY = os.environ.get("LOAD_STAFF_SURVEY", "")
RESULTS_SURVEY = os.environ.get("LOAD_RESULTS_SURVEY", "")
SUMMARY = os.environ.get("LOAD_SUMMARY", "")
STAFF_ACCOUNTS = int(os.environ.get("LOAD_STAFF_ACCOUNTS", "0"))
DOUBLE_CLICK_SHARE = 0.1  # citizens who press "Gửi" twice: the second press must store nothing
# Seconds a person spends on a page (reading, choosing, typing) before the next request; leaders twice as long.
THINK_MIN, THINK_MAX = (float(v) for v in os.environ.get("LOAD_THINK", "2,8").split(","))

INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
UNIT_OPTION = re.compile(r'<option value="(\d+)"')
next_staff_number = itertools.count(1)
latencies: dict[str, list[float]] = defaultdict(list)
failures: dict[str, int] = defaultdict(int)
accepted = {"citizens": 0, "staff": 0}


@events.request.add_listener
def _record(name, response_time, exception, **_):
    latencies[name].append(response_time)
    if exception is not None:
        failures[name] += 1


@events.quitting.add_listener
def _report(environment, **_):
    report = os.environ.get("LOAD_REPORT")
    if report:
        Path(report).write_text(json.dumps({"latencies": latencies, "failures": failures, "accepted": accepted}))


def hidden_fields(page: str) -> dict[str, str]:
    """The form's hidden inputs (CSRF token, idempotency key, page, answers of other pages), as a browser sends them."""
    fields = {}
    for tag in INPUT.findall(page):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return fields


def new_address() -> str:
    """An address of the benchmarking range (RFC 2544), sent as X-Forwarded-For: each person comes from their
    own phone or office, as behind the production proxy, so per-address limits see one person each."""
    return f"198.{random.randint(18, 19)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


class Browser(HttpUser):
    abstract = True
    wait_time = between(THINK_MIN, THINK_MAX)

    def new_person(self) -> None:
        self.client.cookies.clear()
        self.address = new_address()

    def page(
        self, method: str, url: str, name: str, data: dict | None = None, *, expect: int = 200, to: str = ""
    ) -> str:
        """One request that must answer ``expect`` (a redirect: to a place containing ``to``); returns the page."""
        with self.client.request(
            method,
            url,
            data=data,
            name=name,
            allow_redirects=False,
            catch_response=True,
            headers={"X-Forwarded-For": self.address},
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != expect or to not in location:
                response.failure(f"{response.status_code} {location} instead of {expect} {to}")
                raise RescheduleTask  # this person gives up; the next one comes
            return response.text

    def send(self, url: str, name: str, form: dict) -> None:
        """Press "Gửi": accepted means redirected to the thank-you page."""
        self.page("POST", url, name, form, expect=302, to="done=1")


class Citizen(Browser):
    """Opens the public link, chooses a ward, answers the one page and sends it."""

    weight = 6

    @task
    def answer(self):
        self.new_person()
        url = f"/s/{PUBLIC_TOKEN}"
        rng = random.Random()
        intro = self.page("GET", url, "citizen: open link")
        self.wait()
        form = hidden_fields(intro) | {
            "unit_id": rng.choice(UNIT_OPTION.findall(intro)),
            "website": "",
            "action": "next",
        }
        questions = self.page("POST", url, "citizen: choose ward", form)
        self.wait()
        form = hidden_fields(questions) | citizen_answers(rng) | {"website": "", "action": "submit"}
        self.send(url, "citizen: submit", form)
        accepted["citizens"] += 1
        if rng.random() < DOUBLE_CLICK_SHARE:
            self.send(url, "citizen: double click", form)


class StaffMember(Browser):
    """Logs in as a staff member who has not answered yet, fills the first page, saves a draft
    on the second, comes back to it, sends it and logs out."""

    weight = 3

    def log_in(self, login: str) -> None:
        form = hidden_fields(self.page("GET", "/login", "log in: form"))
        self.wait()
        self.page("POST", "/login", "log in", form | {"login": login, "password": PASSWORD}, expect=302)

    @task
    def answer(self):
        number = next(next_staff_number)
        if number > STAFF_ACCOUNTS:
            self.stop()  # every prepared account has answered
            return
        rng = random.Random()
        self.new_person()
        self.log_in(STAFF_EMAIL.format(number=number))
        url = f"/answer/{STAFF_SURVEY}"
        intro = self.page("GET", url, "staff: open survey")
        self.wait()
        first = self.page("POST", url, "staff: start", hidden_fields(intro) | {"action": "next"})
        self.wait()
        second = self.page(
            "POST", url, "staff: next page", hidden_fields(first) | staff_first_page(rng) | {"action": "next"}
        )
        self.wait()
        self.page("POST", url, "staff: save draft", hidden_fields(second) | staff_second_page(rng) | {"action": "save"})
        self.wait()  # back later
        resumed = self.page("GET", url, "staff: resume draft")
        self.wait()
        form = hidden_fields(resumed) | staff_second_page(rng) | {"action": "submit"}
        self.send(url, "staff: submit", form)
        accepted["staff"] += 1
        done = self.page("GET", f"{url}?done=1", "staff: thanks")
        self.page("POST", "/logout", "log out", hidden_fields(done), expect=302)


class Reader(Browser):
    """A provincial leader: the results page, the weekly summary's DOCX and XLSX."""

    weight = 1
    wait_time = between(2 * THINK_MIN, 2 * THINK_MAX)

    def on_start(self):
        self.new_person()
        form = hidden_fields(self.page("GET", "/login", "log in: form"))
        self.page("POST", "/login", "log in", form | {"login": READER_EMAIL, "password": PASSWORD}, expect=302)

    @task(3)
    def results(self):
        self.page("GET", f"/surveys/{RESULTS_SURVEY}/results", "reader: results")

    @task
    def summary_docx(self):
        self.page("GET", f"/summaries/{SUMMARY}.docx", "reader: summary DOCX")

    @task
    def summary_xlsx(self):
        self.page("GET", f"/summaries/{SUMMARY}.xlsx", "reader: summary XLSX")
