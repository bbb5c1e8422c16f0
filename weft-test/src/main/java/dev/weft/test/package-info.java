/**
 * {@link dev.weft.test.WeftTest}: a Weft server per JUnit test class, serving servlets named in
 * the annotation, an exploded WAR folder or a WAR file.
 */
package dev.weft.test;
