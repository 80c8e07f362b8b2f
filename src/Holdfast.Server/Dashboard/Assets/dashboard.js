// Live fragments refresh from the event stream at most once per window, and always once after the last event of a
// burst (a trailing-edge throttle). htmx's own "throttle:" drops the events that arrive inside its window and sends
// nothing after it, so a health event followed within the window by the apply it caused left the old answer showing.
// A live element declares hx-trigger="sse:message[false], live-refresh" (the SSE extension subscribes it; the filter
// keeps htmx from requesting on each message) and data-live-window="500" (milliseconds).
(function () {
    "use strict";
    var pending = new WeakSet();
    document.addEventListener("htmx:sseMessage", function (event) {
        var element = event.target;
        if (!(element instanceof Element) || !element.hasAttribute("data-live-window") || pending.has(element)) {
            return;
        }

        pending.add(element);
        setTimeout(function () {
            pending.delete(element);
            htmx.trigger(element, "live-refresh");
        }, Number(element.getAttribute("data-live-window")) || 500);
    });
})();
