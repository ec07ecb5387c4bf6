"""Web front end: the chat page, the feedback API and the staff page (Starlette + uvicorn)."""
