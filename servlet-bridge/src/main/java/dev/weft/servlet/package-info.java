/**
 * Jakarta Servlet 6.1 applications behind a container-core {@code Handler}: {@code WebApp} is the
 * {@code ServletContext}, {@code ServletHandler} serves one or more of them by context path.
 */
package dev.weft.servlet;
