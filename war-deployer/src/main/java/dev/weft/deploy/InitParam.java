package dev.weft.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One {@code @WebInitParam}. */
public record InitParam(String name, String value, String description) {

    public InitParam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(description, "description");
    }

    static List<InitParam> from(List<AnnotationInfo> params) {
        List<InitParam> out = new ArrayList<>(params.size());
        for (AnnotationInfo p : params) {
            out.add(new InitParam(required(p, "name"), required(p, "value"), p.string("description", "")));
        }
        return List.copyOf(out);
    }

    private static String required(AnnotationInfo p, String element) {
        String v = p.string(element, null);
        if (v == null) {
            throw new IllegalArgumentException("@WebInitParam without " + element);
        }
        return v;
    }
}
