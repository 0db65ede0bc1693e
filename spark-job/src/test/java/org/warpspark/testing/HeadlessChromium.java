package org.warpspark.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium driven through its DevTools protocol (a WebSocket, JDK client, no
 * library): open a page and wait for it to load, evaluate JavaScript in it, take a screenshot, and
 * collect what went wrong in the page (uncaught script errors, console errors, failed loads).
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> replies = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

  /** The browser on this machine, or null when Debian's {@code chromium} is not installed. */
  public static Path installed() {
    for (String name : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(name))) {
        return Path.of(name);
      }
    }
    return null;
  }

  public HeadlessChromium(Path browser, Path profile) throws IOException, InterruptedException {
    process = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0",
        "--remote-allow-origins=*", "--window-size=1280,1024", "about:blank")
        .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
        .start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        process.destroyForcibly();
        throw new IOException("chromium did not start (see " + profile + ".log)");
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    HttpClient http = HttpClient.newHttpClient();
    String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    String pageSocket = null;
    for (JsonElement target : JsonParser.parseString(list).getAsJsonArray()) {
      if ("page".equals(target.getAsJsonObject().get("type").getAsString())) {
        pageSocket = target.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
      }
    }
    if (pageSocket == null) {
      process.destroyForcibly();
      throw new IOException("chromium shows no page: " + list);
    }
    socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener()).join();
    for (String domain : List.of("Page", "Runtime", "Log")) {
      call(domain + ".enable", new JsonObject());
    }
  }

  /** Opens {@code url} and waits until it has loaded (images included). */
  public void open(String url) {
    loaded = new CompletableFuture<>();
    JsonObject params = new JsonObject();
    params.addProperty("url", url);
    JsonObject reply = call("Page.navigate", params);
    if (reply.has("errorText")) {
      throw new IllegalStateException("cannot open " + url + ": " + reply.get("errorText"));
    }
    loaded.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** The value of a JavaScript expression in the page (JSON-serialisable values only). */
  public JsonElement evaluate(String expression) {
    JsonObject params = new JsonObject();
    params.addProperty("expression", expression);
    params.addProperty("returnByValue", true);
    params.addProperty("awaitPromise", true);
    JsonObject reply = call("Runtime.evaluate", params);
    if (reply.has("exceptionDetails")) {
      throw new IllegalStateException("script error: " + reply.get("exceptionDetails"));
    }
    JsonObject result = reply.getAsJsonObject("result");
    return result.get("value");
  }

  /** A PNG of the whole page. */
  public byte[] screenshot() {
    JsonObject params = new JsonObject();
    params.addProperty("format", "png");
    params.addProperty("captureBeyondViewport", true);
    return Base64.getDecoder().decode(call("Page.captureScreenshot", params).get("data").getAsString());
  }

  /** Everything that went wrong in the pages so far: script exceptions, console and network errors. */
  public List<String> problems() {
    return new ArrayList<>(problems);
  }

  private JsonObject call(String method, JsonObject params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    replies.put(id, reply);
    JsonObject message = new JsonObject();
    message.addProperty("id", id);
    message.addProperty("method", method);
    message.add("params", params);
    socket.sendText(message.toString(), true).join();
    JsonObject answer = reply.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    if (answer.has("error")) {
      throw new IllegalStateException(method + " failed: " + answer.get("error"));
    }
    return answer.getAsJsonObject("result");
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonObject message = JsonParser.parseString(partial.toString()).getAsJsonObject();
        partial.setLength(0);
        if (message.has("id")) {
          CompletableFuture<JsonObject> reply = replies.remove(message.get("id").getAsInt());
          if (reply != null) {
            reply.complete(message);
          }
        } else {
          event(message.get("method").getAsString(), message.getAsJsonObject("params"));
        }
      }
      webSocket.request(1);
      return null;
    }
  }

  private void event(String method, JsonObject params) {
    switch (method) {
      case "Page.loadEventFired" -> loaded.complete(null);
      case "Runtime.exceptionThrown" -> problems.add("script exception: " + params.get("exceptionDetails"));
      case "Runtime.consoleAPICalled" -> {
        if ("error".equals(params.get("type").getAsString())) {
          problems.add("console error: " + params.get("args"));
        }
      }
      case "Log.entryAdded" -> {
        JsonObject entry = params.getAsJsonObject("entry");
        if ("error".equals(entry.get("level").getAsString())) {
          problems.add(entry.get("source").getAsString() + " error: " + entry.get("text").getAsString()
              + (entry.has("url") ? " (" + entry.get("url").getAsString() + ")" : ""));
        }
      }
      default -> { }
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.abort();
    }
    // the renderers and crash handler too, before the profile folder is deleted
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
