DROP INDEX profile_related_target;
DROP INDEX profile_aliases_profile;
