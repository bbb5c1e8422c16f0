/** Turns WAR files and exploded WAR folders into running web applications. */
package dev.weft.deploy;
