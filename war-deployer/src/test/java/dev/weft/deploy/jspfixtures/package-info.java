/**
 * Classes the JSP tests copy, as class files, into the WEB-INF/classes of the WARs they build:
 * a tag handler, EL functions, a bean, servlets, a listener and an initializer. The application's
 * class loader loads them from there, never from the test class path.
 */
package dev.weft.deploy.jspfixtures;
