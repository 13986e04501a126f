package dev.zkspark.spark.io;

import java.io.Serializable;

/** A requests-table row after validation: a request, or the reason the row is unusable. */
public record ParsedRequest(String id, RequestSpec request, String error) implements Serializable {
    public static ParsedRequest ok(RequestSpec r) {
        return new ParsedRequest(r.id(), r, null);
    }

    public static ParsedRequest failed(String id, String error) {
        return new ParsedRequest(id, null, error);
    }

    public boolean isOk() {
        return error == null;
    }
}
