package dev.weft.servlet;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.MappingMatch;

/**
 * Which servlet a path maps to and how: the servlet path and path info it splits the path into,
 * and the {@link HttpServletMapping} the request reports.
 */
record Mapping(ServletHolder holder, String servletPath, String pathInfo, MappingMatch mappingMatch,
        String matchValue, String pattern) implements HttpServletMapping {

    @Override
    public String getMatchValue() {
        return matchValue;
    }

    @Override
    public String getPattern() {
        return pattern;
    }

    @Override
    public String getServletName() {
        return holder.getName();
    }

    @Override
    public MappingMatch getMappingMatch() {
        return mappingMatch;
    }
}
