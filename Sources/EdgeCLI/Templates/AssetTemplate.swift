extension InitProject {
    /// `public/index.html`: a static page that talks to the worker (visits) and to a room
    /// (WebSocket).
    var indexPage: String {
        #"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>\#(name)</title>
        </head>
        <body>
          <h1>\#(name)</h1>
          <p id="visits">Counting visits…</p>
          <form id="send"><input id="text" autocomplete="off" placeholder="Say something"> <button>Send</button></form>
          <ul id="messages"></ul>
          <script>
            fetch("/api/visits", { method: "POST" })
              .then((response) => response.json())
              .then(({ visits }) => { document.getElementById("visits").textContent = `Visits: ${visits}`; });

            const socket = new WebSocket(`ws://${location.host}/api/rooms/lobby/ws`);
            socket.addEventListener("message", (event) => {
              const item = document.createElement("li");
              item.textContent = event.data;
              document.getElementById("messages").append(item);
            });
            document.getElementById("send").addEventListener("submit", (event) => {
              event.preventDefault();
              const input = document.getElementById("text");
              if (input.value) socket.send(input.value);
              input.value = "";
            });
          </script>
        </body>
        </html>

        """#
    }
}
