package io.dutydesk.adapters.support;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/** A blocking client call through a forward, with a resolved password, on the adapter's own executor. */
public final class TunnelCalls {
    private TunnelCalls() {}

    /** The blocking part of the call. */
    @FunctionalInterface
    public interface Call<T> {
        T run(InetSocketAddress local, Optional<char[]> password) throws Exception;
    }

    public static <T> CompletableFuture<T> withPassword(CompletableFuture<InetSocketAddress> forward,
                                                        Supplier<CompletableFuture<Optional<char[]>>> password,
                                                        ExecutorService executor, Call<T> call) {
        return forward.thenCombine(password.get(), Bound::new)
                .thenCompose(b -> BoundedExecutors.supply(executor, () -> call.run(b.local, b.password)));
    }

    private record Bound(InetSocketAddress local, Optional<char[]> password) {}
}
