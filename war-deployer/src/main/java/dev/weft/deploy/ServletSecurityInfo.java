package dev.weft.deploy;

import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.HttpMethodConstraintElement;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.ServletSecurity.EmptyRoleSemantic;
import jakarta.servlet.annotation.ServletSecurity.TransportGuarantee;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code @ServletSecurity} with the API's defaults: an all-default {@code @HttpConstraint}
 * (PERMIT, NONE, no roles) and no method constraints.
 *
 * <p>{@code @ServletSecurity} is {@code @Inherited}: {@link ScanResult#servletSecurity(String)} finds
 * the one that applies to a class, its own or its nearest superclass's.
 *
 * @param className the class that carries the annotation
 */
public record ServletSecurityInfo(
        String className,
        ClassSource source,
        Constraint httpConstraint,
        List<MethodConstraint> httpMethodConstraints) {

    static final String TYPE = ServletSecurity.class.getName();

    /** An {@code @HttpConstraint}; {@code emptyRoleSemantic} is the annotation's {@code value}. */
    public record Constraint(
            EmptyRoleSemantic emptyRoleSemantic, TransportGuarantee transportGuarantee, List<String> rolesAllowed) {

        static final Constraint DEFAULT = new Constraint(EmptyRoleSemantic.PERMIT, TransportGuarantee.NONE, List.of());

        public Constraint {
            Objects.requireNonNull(emptyRoleSemantic, "emptyRoleSemantic");
            Objects.requireNonNull(transportGuarantee, "transportGuarantee");
            rolesAllowed = List.copyOf(rolesAllowed);
        }

        /** @throws IllegalArgumentException for DENY with roles, as the API's constructor does */
        public HttpConstraintElement toElement() {
            return new HttpConstraintElement(emptyRoleSemantic, transportGuarantee, rolesAllowed.toArray(String[]::new));
        }
    }

    /** An {@code @HttpMethodConstraint}: the method name and its constraint. */
    public record MethodConstraint(String method, Constraint constraint) {

        public MethodConstraint {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(constraint, "constraint");
        }

        public HttpMethodConstraintElement toElement() {
            return new HttpMethodConstraintElement(method, constraint.toElement());
        }
    }

    public ServletSecurityInfo {
        Objects.requireNonNull(httpConstraint, "httpConstraint");
        httpMethodConstraints = List.copyOf(httpMethodConstraints);
    }

    /**
     * What {@code ServletRegistration.Dynamic.setServletSecurity} takes.
     *
     * @throws IllegalArgumentException for an invalid constraint or a method named twice, as the
     *     API's constructors do
     */
    public ServletSecurityElement toElement() {
        List<HttpMethodConstraintElement> methods = new ArrayList<>(httpMethodConstraints.size());
        for (MethodConstraint m : httpMethodConstraints) {
            methods.add(m.toElement());
        }
        return new ServletSecurityElement(httpConstraint.toElement(), methods);
    }

    static ServletSecurityInfo from(ClassInfo c, AnnotationInfo a) {
        Constraint http = a.annotation("value").map(h -> new Constraint(
                EmptyRoleSemantic.valueOf(h.enumValue("value", EmptyRoleSemantic.PERMIT.name())),
                TransportGuarantee.valueOf(h.enumValue("transportGuarantee", TransportGuarantee.NONE.name())),
                h.strings("rolesAllowed"))).orElse(Constraint.DEFAULT);
        List<MethodConstraint> methods = new ArrayList<>();
        for (AnnotationInfo m : a.annotations("httpMethodConstraints")) {
            String method = m.string("value", null);
            if (method == null) {
                throw new IllegalArgumentException("@HttpMethodConstraint without value");
            }
            methods.add(new MethodConstraint(method, new Constraint(
                    EmptyRoleSemantic.valueOf(m.enumValue("emptyRoleSemantic", EmptyRoleSemantic.PERMIT.name())),
                    TransportGuarantee.valueOf(m.enumValue("transportGuarantee", TransportGuarantee.NONE.name())),
                    m.strings("rolesAllowed"))));
        }
        return new ServletSecurityInfo(c.name(), c.source(), http, methods);
    }
}
