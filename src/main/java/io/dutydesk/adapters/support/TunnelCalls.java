package io.dutydesk.adapters.support;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/** A blocking client call with a resolved password, on the adapter's own executor (its sockets are SSH channels). */
public final class TunnelCalls {
    private TunnelCalls() {}

    /** The blocking part of the call. */
    @FunctionalInterface
    public interface Call<T> {
        T run(Optional<char[]> password) throws Exception;
    }

    public static <T> CompletableFuture<T> withPassword(Supplier<CompletableFuture<Optional<char[]>>> password,
                                                        ExecutorService executor, Call<T> call) {
        return password.get().thenCompose(pw -> BoundedExecutors.supply(executor, () -> call.run(pw)));
    }
}
