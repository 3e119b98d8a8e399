package dev.townhall.testing;

import dev.townhall.db.Endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on a loopback port of its own to a server's port: the network between two databases, which a test
 * can {@link #cut()} (open connections are dropped, new ones refused, as when a laptop goes offline), or have cut after
 * so many bytes (in the middle of whatever is under way), and {@link #restore()} on the same port.
 */
public final class LoopbackProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /** Bytes still let through before the link is cut. */
    private final AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
    private ServerSocket listener;

    private LoopbackProxy(int targetPort) {
        this.targetPort = targetPort;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        acceptOn(listener);
    }

    /** A proxy, up, to the server of {@code target}. */
    public static LoopbackProxy to(Endpoint target) {
        return new LoopbackProxy(target.port());
    }

    /** {@code target} reached through this proxy. */
    public Endpoint endpointFor(Endpoint target) {
        return new Endpoint(target.host(), port, target.database(), target.user(), target.password());
    }

    /** Drops every open connection and refuses new ones until {@link #restore()}. */
    public synchronized void cut() {
        closeQuietly(listener);
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Cuts the link once {@code bytes} more have passed it, either way. */
    public void cutAfter(long bytes) {
        budget.set(bytes);
    }

    /** Accepts connections on the same port again, with no cut pending. */
    public synchronized void restore() {
        budget.set(Long.MAX_VALUE);
        if (listener.isClosed()) {
            listener = listenAgain();
            acceptOn(listener);
        }
    }

    @Override
    public void close() {
        cut();
    }

    /** The port can stay taken for a moment while the sockets a cut closed go away. */
    private ServerSocket listenAgain() {
        for (int attempt = 1; ; attempt++) {
            try {
                return listen(port);
            } catch (UncheckedIOException taken) {
                if (attempt == 100) {
                    throw taken;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw taken;
                }
            }
        }
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + port, e);
        }
    }

    private void acceptOn(ServerSocket socket) {
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    if (!keep(socket, client)) {
                        continue;
                    }
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    if (!keep(socket, server)) {
                        continue;
                    }
                    pump(client, server);
                    pump(server, client);
                } catch (IOException e) {
                    // the listener was closed by cut(), or the server refused: the client sees its connection end
                }
            }
        }, "loopback-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Tracks the socket so a cut closes it; closes it at once if the link was cut meanwhile. */
    private synchronized boolean keep(ServerSocket listening, Socket socket) {
        if (listening.isClosed()) {
            closeQuietly(socket);
            return false;
        }
        open.add(socket);
        return true;
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (budget.addAndGet(-n) < 0) {
                        cut();
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException closed) {
                // one side went away or the link was cut: end both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "loopback-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing what may already be closed
        }
    }
}
