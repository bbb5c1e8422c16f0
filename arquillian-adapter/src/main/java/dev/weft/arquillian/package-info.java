/**
 * An embedded Arquillian container for Weft: add this module and {@code arquillian-junit5-container}
 * to a test class path, and {@code @Deployment} archives are deployed on a Weft server in the
 * test's JVM. Configured in {@code arquillian.xml} under {@code <container qualifier="weft">}.
 */
package dev.weft.arquillian;
