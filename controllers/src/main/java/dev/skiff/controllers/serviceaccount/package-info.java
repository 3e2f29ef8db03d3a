/** Per-namespace service account defaults: the default ServiceAccount and the root CA bundle. */
package dev.skiff.controllers.serviceaccount;
