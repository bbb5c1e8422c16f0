package dev.weft.servlet;

import jakarta.servlet.annotation.ServletSecurity.TransportGuarantee;
import java.util.List;
import java.util.Set;

/**
 * A security constraint (Servlet 6.1 §13.8): the resources it covers, who may access them, and
 * over what transport.
 *
 * @param collections what it covers: url-patterns with the methods (or the omitted methods)
 * @param roles who may access: null for no authorization constraint (anyone), an empty set for
 *     nobody (excluded), else role names, where {@code *} means every declared role and {@code **}
 *     any authenticated user
 * @param transport NONE, or CONFIDENTIAL/INTEGRAL to require TLS
 */
public record SecurityConstraint(List<Collection> collections, Set<String> roles, TransportGuarantee transport) {
    /**
     * A web-resource-collection: {@code methods} empty and {@code omittedMethods} empty means
     * every method; only one of the two may be non-empty.
     */
    public record Collection(List<String> urlPatterns, Set<String> methods, Set<String> omittedMethods) {
        public Collection {
            urlPatterns = List.copyOf(urlPatterns);
            methods = Set.copyOf(methods);
            omittedMethods = Set.copyOf(omittedMethods);
            if (!methods.isEmpty() && !omittedMethods.isEmpty()) {
                throw new IllegalArgumentException("a web-resource-collection names methods or omits them, not both");
            }
            for (String p : urlPatterns) {
                if (!ServletMapper.isValidPattern(p)) {
                    throw new IllegalArgumentException("invalid url-pattern \"" + p + "\" in a security constraint");
                }
            }
        }

        /** Whether this collection applies to {@code method}. */
        boolean covers(String method) {
            if (!methods.isEmpty()) {
                return methods.contains(method);
            }
            return !omittedMethods.contains(method);
        }
    }

    public SecurityConstraint {
        collections = List.copyOf(collections);
        roles = roles == null ? null : Set.copyOf(roles);
        transport = transport == null ? TransportGuarantee.NONE : transport;
    }

    /** A constraint on {@code patterns} for every method, allowing {@code roles}. */
    public static SecurityConstraint roles(List<String> patterns, String... roles) {
        return new SecurityConstraint(List.of(new Collection(patterns, Set.of(), Set.of())), Set.of(roles),
                TransportGuarantee.NONE);
    }

    /** A constraint that keeps everyone out of {@code patterns}. */
    public static SecurityConstraint excluded(List<String> patterns) {
        return new SecurityConstraint(List.of(new Collection(patterns, Set.of(), Set.of())), Set.of(),
                TransportGuarantee.NONE);
    }
}
