"""Run a question set through the running bot: every question in a new conversation, every
conversation's turns in one."""
from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, List, Optional, Union

from bot.evaluation.questions import Conversation, Question, QuestionSet
from bot.evaluation.scoring import FOLLOW_UP, OPENER, Judged, Results, judge, question_kind
from bot.rasa_api import RasaClient, RasaError, RasaTokenError, Turn

NO_ANSWER = "(geen antwoord)"  # a measure id no reply has: wrong for every expectation


def new_sender() -> str:
    return f"eval-{uuid.uuid4().hex[:12]}"


def run_set(client: RasaClient, questions: QuestionSet, understand: bool = False, workers: int = 1,
            progress: Optional[Callable[[int], None]] = None, keep_going: bool = False) -> Results:
    """The judged turns in file order. `understand`: also ask /model/parse (needs the token).
    `keep_going`: a failed request counts as a wrong answer and is listed in Results.errors;
    otherwise the RasaError is raised."""
    results = Results()

    def ask(question: Question, sender: str, kind: str, conversation: Optional[str]) -> Judged:
        details = {"conversation": conversation}
        try:
            if understand:
                intent = client.parse(question.text).get("intent") or {}
                details.update(intent=intent.get("name"), confidence=intent.get("confidence"))
            started = time.perf_counter()
            turn = client.say(sender, question.text)
            details["seconds"] = time.perf_counter() - started
        except RasaTokenError:
            raise
        except RasaError as error:
            if not keep_going:
                raise
            results.errors.append(f"{question.id}: {error}")
            turn = Turn(measures=[{"id": NO_ANSWER}])
        if progress:
            progress(1)
        return judge(question, turn, kind, **details)

    def task(item: Union[Question, Conversation]) -> List[Judged]:
        if isinstance(item, Question):
            return [ask(item, new_sender(), question_kind(item), None)]
        sender = new_sender()
        return [ask(turn, sender, FOLLOW_UP if i else OPENER, item.id) for i, turn in enumerate(item.turns)]

    items: List[Union[Question, Conversation]] = [*questions.questions, *questions.conversations]
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            batches = list(pool.map(task, items))
    else:
        batches = [task(item) for item in items]
    results.judged = [j for batch in batches for j in batch]
    return results
