DROP INDEX profile_related_target;
